"""The Kommune's Taschengeldbörse: its rules, its holidays, the parents' consent forms."""
