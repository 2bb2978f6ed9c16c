"""The book: the collection arranged for print and screen, its attribution notes, typography and templates."""
