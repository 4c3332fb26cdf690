"""Facts across outlets: renderings of one utterance clustered, and figures about the same
quantity grouped into claims.
"""
