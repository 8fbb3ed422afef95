"""therafaq: honest, sourced answers to the questions people ask about their therapist."""

__version__ = "0.1.0"
