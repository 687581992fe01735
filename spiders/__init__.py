"""One spider per outlet; ``scrapy list`` names them all."""
