"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** How close to the bottom, in pixels, still counts as reading the latest. */
const FOLLOW_THRESHOLD = 48;

/**
 * Keeps a scrolling box at its bottom while its content grows, as long as the user has not
 * scrolled up; scrolling back down, or `jumpToLatest()`, follows again. A ResizeObserver on the
 * content sees every growth, including Markdown that lays out after React renders.
 *
 * @example
 * const { scrollerRef, contentRef, isFollowing, jumpToLatest } = useFollowScroll();
 * <div ref={scrollerRef}><div ref={contentRef}>{messages}</div></div>
 */
export function useFollowScroll<Scroller extends HTMLElement, Content extends HTMLElement>() {
  const scrollerRef = useRef<Scroller>(null);
  const contentRef = useRef<Content>(null);
  // A ref for the observer, which must not wait for a render; state for the button.
  const isFollowingRef = useRef(true);
  const [isFollowing, setFollowing] = useState(true);

  useEffect(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    const onScroll = () => {
      const distance = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
      isFollowingRef.current = distance <= FOLLOW_THRESHOLD;
      setFollowing(isFollowingRef.current);
    };
    const observer = new ResizeObserver(() => {
      if (isFollowingRef.current) scroller.scrollTop = scroller.scrollHeight;
    });
    observer.observe(content);
    scroller.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      observer.disconnect();
      scroller.removeEventListener("scroll", onScroll);
    };
  }, []);

  const jumpToLatest = useCallback(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    isFollowingRef.current = true;
    setFollowing(true);
    scroller.scrollTop = scroller.scrollHeight;
  }, []);

  return { scrollerRef, contentRef, isFollowing, jumpToLatest };
}
