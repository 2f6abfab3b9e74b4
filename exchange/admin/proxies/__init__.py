"""Residents without internet: proxy accounts, acting for them, their inbox with the town
hall's call notes, activation letters and the Vermittlungsblatt."""
