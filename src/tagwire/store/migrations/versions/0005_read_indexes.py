"""Indexes for the read path, measured by bench/serve.py on 100,000 articles.

A hashtag page and a search's #Hashtag go from a tag to its articles and from each article to its
story, and a search filters its matches by story, outlet and date. With an index on the tag
alone, every step read a table row: the hashtag row for its article id, then the whole article
row (title, summary and full text) for one integer; a popular tag or a common word cost
thousands of such reads per page. These covering indexes answer from the index alone:

- hashtags (tag, article_id) replaces hashtags (tag), of which it is an extension;
- hashtags (lower(tag), article_id, tag) for search, where #hashtag matches in any case (the
  tag itself is in it so that SQLite, before 3.41, can read the index without the table);
- articles (id, story_id, published, outlet), "narrow": what the read path needs of an article
  to place and filter it, without its text;
- articles (outlet, published): an outlet's page reads its newest articles first (a small outlet
  among 100,000 articles took ~370 ms without it, ~20 ms with it).
"""

from alembic import op
from sqlalchemy import text

revision = "0005_read_indexes"
down_revision = "0004_index_when_understood"


def upgrade() -> None:
    op.create_index("ix_hashtags_tag_article", "hashtags", ["tag", "article_id"])
    op.drop_index("ix_hashtags_tag", table_name="hashtags")
    op.create_index("ix_hashtags_lower_tag", "hashtags", [text("lower(tag)"), "article_id", "tag"])
    op.create_index("ix_articles_narrow", "articles", ["id", "story_id", "published", "outlet"])
    op.create_index("ix_articles_outlet_published", "articles", ["outlet", "published"])


def downgrade() -> None:
    op.drop_index("ix_articles_outlet_published", table_name="articles")
    op.drop_index("ix_articles_narrow", table_name="articles")
    op.drop_index("ix_hashtags_lower_tag", table_name="hashtags")
    op.create_index("ix_hashtags_tag", "hashtags", ["tag"])
    op.drop_index("ix_hashtags_tag_article", table_name="hashtags")
