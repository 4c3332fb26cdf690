"""Extraction: documents to articles, i.e. clean text (trafilatura for HTML, a line cleaner for
plain text), metadata, language and near-duplicate groups.
"""
