"""Pure rules of the dairy: no Qt, no SQLAlchemy, nothing but the standard library."""
