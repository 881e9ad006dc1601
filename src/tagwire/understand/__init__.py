"""Understanding stages: hashtags, wire origin, copies, stories; prepared, then decided in order."""
