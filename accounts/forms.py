"""allauth's forms where ours differ: a password reset reaches only people."""

from allauth.account.forms import ResetPasswordForm

from accounts.models import User


class PersonResetPasswordForm(ResetPasswordForm):
    """The system account and integration clients' service users never get a reset link: they
    must not sign in, whatever address someone gives them."""

    def clean_email(self) -> str:
        email = super().clean_email()
        found: list[User] = getattr(self, "users", [])
        self.users = [user for user in found if user.is_person]
        return email
