"""Mail to users: each message has a subject, a text body and an HTML body.

Messages are sent by tasks enqueued once the request's transaction commits,
so a slow or failing mail server never changes a response or its timing.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def send_message(template, to, context):
    """Render the message named by ``template`` and send it to one address."""
    context = {"site_name": settings.ACCOUNTS_SITE_NAME, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    # A subject is one header line, whatever the names in it contain.
    subject = " ".join(subject.split())
    text = render_to_string(f"accounts/email/{template}.txt", context)
    html = render_to_string(f"accounts/email/{template}.html", context)

    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        logger.exception(
            "Sending the %r email to %s failed; enqueue it again to retry",
            template,
            to,
        )
        raise


def enqueue_on_commit(mail_task, *args):
    """Enqueue a mail task once the current transaction commits."""
    transaction.on_commit(partial(mail_task.enqueue, *args))


@task
def send_password_changed_notice(user_id):
    user = get_user_model()._default_manager.get(pk=user_id)
    send_message("password_changed", user.email, {"user": user})


@task
def send_email_changed_notice(user_id, old_email):
    user = get_user_model()._default_manager.get(pk=user_id)
    send_message("email_changed", old_email, {"user": user, "new_email": user.email})
