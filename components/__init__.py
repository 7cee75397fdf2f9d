"""UI building blocks: pure functions returning rx.Component. They never call services."""
