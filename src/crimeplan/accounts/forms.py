"""The sign-in form, with a message for each field in the GOV.UK error pattern."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def field_errors(self) -> dict[str, str]:
        """Each message on the field it is about; a wrong pair is shown on the username."""
        errors = {name: " ".join(messages) for name, messages in self.errors.items()}
        wrong = errors.pop("__all__", None)
        if wrong:
            errors.setdefault("username", wrong)
        return errors
