"""Scrapy commands of the project (``COMMANDS_MODULE``): they refine Scrapy's own."""
