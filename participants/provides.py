"""What the participants app lends to the apps below it; registered in
ParticipantsConfig.ready."""

from workflow.context import register_provider

from . import workflow_context


def register() -> None:
    register_provider(workflow_context.provide)
