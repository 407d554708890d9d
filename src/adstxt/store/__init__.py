"""The crawl store: fetches, file versions and their history, and the shared work queue."""
