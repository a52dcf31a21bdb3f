"""The layout model the local engine reads documents into: pages of positioned words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """A rectangle in page units (points for PDFs, pixels for images), origin at the top left."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        """Vertical extent."""
        return self.bottom - self.top

    @property
    def width(self) -> float:
        """Horizontal extent."""
        return self.right - self.left

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    @staticmethod
    def around(boxes: list[Box]) -> Box:
        """The smallest box holding all of `boxes` (at least one)."""
        result = boxes[0]
        for box in boxes[1:]:
            result = result.union(box)
        return result


@dataclass(frozen=True)
class Word:
    """One word as the engine read it, with its confidence (0-100)."""

    text: str
    box: Box
    confidence: float


@dataclass
class Page:
    """One page: its size, its words, and how the words' frame maps onto the page.

    Words of a straightened scan are boxed in the straightened frame (where rows are level);
    `to_original` maps a point of that frame to the page's own units. None means they are the same.
    """

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    to_original: Callable[[Point], Point] | None = None
