"""Caller details sealed with the caller's own key (guides/keystore.py) before they reach the
database.

A sealed field reads and writes like a plain one in Python: `caller.alias` is the alias.
What the column holds is a Fernet token (AES-128-CBC with HMAC-SHA256, from `cryptography`)
made with the key of the caller the row belongs to (the model's `sealing_key()`). Sealing
happens as the row is saved; opening happens when the value is first read. Nothing can find
a row by a sealed value: callers are looked up through the key store.
"""

import json

from cryptography.fernet import Fernet, InvalidToken
from django.db import models
from django.db.models.query_utils import DeferredAttribute


class Sealed(str):
    """A value as the database holds it: ciphertext, not yet opened."""


class CallerErased(Exception):
    """The caller's key is destroyed: their details can no longer be read by anyone."""


def seal(key: bytes, text: str) -> str:
    return Fernet(key).encrypt(text.encode()).decode("ascii")


def open_sealed(key: bytes, token: str) -> str:
    try:
        return Fernet(key).decrypt(token.encode("ascii")).decode()
    except InvalidToken as wrong:
        raise CallerErased from wrong


class _SealedAttribute(DeferredAttribute):
    """Opens a sealed value on first read; keeps what the code sets, to seal on save."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.from_text(open_sealed(instance.sealing_key(), value))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class SealedTextField(models.TextField):
    """Text sealed with its caller's key; `max_length` only limits what forms accept."""

    descriptor_class = _SealedAttribute

    def from_text(self, text: str):
        return text

    def to_text(self, value) -> str:
        return str(value)

    def from_db_value(self, value, expression, connection):
        return Sealed(value) if value else value

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, Sealed) or value in (None, ""):
            return value
        return Sealed(seal(model_instance.sealing_key(), self.to_text(value)))

    def get_prep_value(self, value):
        if value is None:
            return None
        if value == "" or isinstance(value, Sealed):
            return str(value)
        # A plain value in a query would be compared with ciphertext: never equal.
        raise ValueError(f"{self.name} is sealed: it cannot be looked up by its value")

    def to_python(self, value):
        return value


class SealedJSONField(SealedTextField):
    """A JSON value (a dict or a list) sealed with its caller's key."""

    def from_text(self, text: str):
        return json.loads(text)

    def to_text(self, value) -> str:
        return json.dumps(value, sort_keys=True)

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, Sealed) or value is None:
            return value
        return Sealed(seal(model_instance.sealing_key(), self.to_text(value)))
