"""Understanding articles: hashtags, wire origin, syndicated copies and stories."""
