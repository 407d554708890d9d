"""The crawl store: fetches, file versions and their history."""
