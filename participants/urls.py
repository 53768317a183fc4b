"""Pages of the participants app under /participants/ (namespace `participants`)."""

from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("participants/", views.participant_search, name="search"),
    path("participants/pick/", views.participant_pick, name="pick"),
    path("participants/new/", views.participant_create, name="create"),
    path("participants/<int:pk>/", views.participant_detail, name="detail"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="edit"),
    path("participants/<int:pk>/promote/", views.participant_promote, name="promote"),
]
