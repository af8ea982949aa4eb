//! The heap: embedded-alloc's linked-list first-fit allocator over a static array,
//! wrapped to count what is live (bytes requested), its peak and the allocations made.

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use embedded_alloc::LlffHeap;

/// Bytes given to the allocator; a registration peaks well below this.
const HEAP_SIZE: usize = 16 * 1024;

struct Counting {
    heap: LlffHeap,
}

#[global_allocator]
static HEAP: Counting = Counting {
    heap: LlffHeap::empty(),
};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static OVERALL_PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on unchanged to LlffHeap, which upholds GlobalAlloc's
// contract; the wrapper only updates counters.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout goes on unchanged.
        let p = unsafe { self.heap.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(live, Relaxed);
            OVERALL_PEAK.fetch_max(live, Relaxed);
            ALLOCATIONS.fetch_add(1, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with this layout (the caller's promise).
        unsafe { self.heap.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

/// Hands the static array to the allocator; call once, first thing.
pub fn init() {
    // SAFETY: called once at start, before anything allocates; the array is used by
    // nothing else.
    unsafe {
        let heap = &HEAP.heap;
        embedded_alloc::init!(heap, HEAP_SIZE);
    }
}

/// Starts a new peak measurement from what is live now.
pub fn reset_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}

/// Most bytes live at once since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Relaxed)
}

/// Most bytes live at once since start.
pub fn overall_peak() -> usize {
    OVERALL_PEAK.load(Relaxed)
}

/// Allocations made since start.
pub fn allocations() -> usize {
    ALLOCATIONS.load(Relaxed)
}
