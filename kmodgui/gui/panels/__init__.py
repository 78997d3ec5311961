"""The dock panels.  Each one listens to the Bridge and sends commands back
through it; none keeps state the engine does not have."""
