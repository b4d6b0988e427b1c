"""The engine's vocabulary labels (`furima.labels`) as template filters."""

from django import template

from furima import labels

register = template.Library()

register.filter("state_label", labels.state_label)
register.filter("actor_label", labels.actor_label)
register.filter("rating_label", labels.rating_label)
register.filter("event_label", labels.event_label)
register.filter("action_button_label", labels.action_button_label)
register.filter("policy_name", labels.policy_name)
