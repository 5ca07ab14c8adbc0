"""Apple Podcasts' category list: only these values are accepted in ``itunes:category``.
A value is the category, or the category and subcategory joined by " › "."""

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

SEPARATOR = " › "

APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": (
        "Books",
        "Design",
        "Fashion & Beauty",
        "Food",
        "Performing Arts",
        "Visual Arts",
    ),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}


def _words(name: str) -> Any:
    """The name as Apple's Swedish store shows it; the feed keeps Apple's English value."""
    return pgettext_lazy("Apple category", name)


CATEGORY_CHOICES: list[tuple[str, Any]] = [
    choice
    for category, subcategories in APPLE_CATEGORIES.items()
    for choice in (
        (category, _words(category)),
        *(
            (
                f"{category}{SEPARATOR}{sub}",
                format_lazy("{}{}{}", _words(category), SEPARATOR, _words(sub)),
            )
            for sub in subcategories
        ),
    )
]


def category_split(value: str) -> tuple[str, str]:
    """("Kids & Family", "Parenting") for "Kids & Family › Parenting"; subcategory may be ""."""
    category, _, subcategory = value.partition(SEPARATOR)
    return category, subcategory
