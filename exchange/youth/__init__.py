"""Young helpers: the Kommune's Taschengeld policy, parents' consent and the youth labour rules.

Between accounts and postings in the layer order: postings mark jobs "nur für Erwachsene",
messaging and matching ask the rules before a minor answers, is chosen, matched or told.
"""
