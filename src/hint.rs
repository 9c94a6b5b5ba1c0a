//! Hints to the processor that change no result: asking for memory ahead of its use, where a
//! large snapshot reads millions of items in an order that the hardware cannot guess.

/// Asks the processor to bring `value` into the cache; does nothing elsewhere than on x86-64.
#[inline]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing and never faults, and `value` is a
    // valid reference anyway. SSE, which it needs, is part of every x86-64 processor.
    #[allow(unused_unsafe)]
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
