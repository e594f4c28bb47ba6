"""The archive package of a round: every published protocol with its files and metadata.

`models` holds the export row, `services` asks for one and builds it, `metadata` writes
each protocol's XML (valid against `protocol-metadata.xsd`, shipped in every package).
"""
