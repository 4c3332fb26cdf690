"""Intake: the inbox's files as documents (bytes, hash, format, encoding), the optional
manifest, and a reject row with a reason for everything left out.
"""
