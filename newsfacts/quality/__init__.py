"""The audit of write-audit-publish: great-expectations suites run over staged tables, the
computed audit columns they check, and the Data Docs.
"""
