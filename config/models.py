"""No tables of its own. The module exists so that Django sends this app the post_migrate
signal (it skips apps without models), on which the role permissions are synced."""
