"""Peyvand (پیوند): the platform of a provincial industrial-estates company."""
