"""From the collection file to a Collection: the manifest's schema, every article loaded, the audit."""
