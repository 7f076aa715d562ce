"""LTI 1.3 (docs/lti.md): this server as a tool in a course platform — launch, deep
linking of an exercise or a network, scores in the gradebook."""
