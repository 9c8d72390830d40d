"""HTTP routes, one router per area; thin: they call the domain modules."""
