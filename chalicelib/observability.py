"""Structured JSON logs (Powertools Logger): conversation ids yes, personal data never."""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="tandem")
