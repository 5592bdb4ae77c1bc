"""Themes: from text to intents (embed, assign, fine-tune) and to new themes (cluster, discover)."""
