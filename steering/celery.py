"""The Celery app. Settings come from Django's, under the CELERY_ prefix.

With no CELERY_BROKER_URL the settings switch Celery to eager mode, so the embedded
default runs every task in-process and needs neither Redis nor a worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steering.settings")

app = Celery("steering")
app.config_from_object("django.conf:settings", namespace="CELERY")
if not app.conf.broker_url:
    # Eager tasks never touch the broker; naming the in-memory transport keeps Kombu
    # from trying to reach the default AMQP address when something asks for a connection.
    app.conf.broker_url = "memory://"
app.autodiscover_tasks()
