//! The heap: embedded-alloc's linked-list first-fit allocator over a static array. In
//! the measuring program (feature `measure`) it is wrapped to count what is live (bytes
//! requested), its peak and the allocations made — in all, and per side: every block is
//! charged to the side whose call allocated it ([`charge`]), remembered in a small header
//! before the block, so that a frame one side allocates and the harness frees after the
//! other side read it counts for the first. The link-only builds use it as it is, as a
//! device would.

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use embedded_alloc::LlffHeap;

/// Bytes given to the allocator; a registration peaks well below this.
const HEAP_SIZE: usize = 16 * 1024;

struct Counting {
    heap: LlffHeap,
}

#[cfg(feature = "measure")]
#[global_allocator]
static HEAP: Counting = Counting {
    heap: LlffHeap::empty(),
};

#[cfg(not(feature = "measure"))]
#[global_allocator]
static HEAP: LlffHeap = LlffHeap::empty();

/// Whom an allocation is charged to.
#[derive(Clone, Copy)]
pub enum Side {
    /// The program around the drivers.
    Harness = 0,
    Enrollee = 1,
    Registrar = 2,
}

static SIDE: AtomicUsize = AtomicUsize::new(Side::Harness as usize);
static SIDE_LIVE: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];
static SIDE_PEAK: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];

/// The header before every block: one word, or the block's alignment if larger; its
/// first byte says which side the block is charged to.
fn with_header(layout: Layout) -> Option<(Layout, usize)> {
    let pad = layout.align().max(4);
    let size = layout.size().checked_add(pad)?;
    Some((Layout::from_size_align(size, layout.align()).ok()?, pad))
}

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static OVERALL_PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on unchanged to LlffHeap, which upholds GlobalAlloc's
// contract; the wrapper only updates counters.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some((outer, pad)) = with_header(layout) else {
            return core::ptr::null_mut();
        };
        // SAFETY: a valid layout of non-zero size (it includes the header).
        let base = unsafe { self.heap.alloc(outer) };
        if base.is_null() {
            return base;
        }
        let side = SIDE.load(Relaxed);
        // SAFETY: `base` is the start of a fresh block of `pad + size` bytes; the header
        // byte is ours, the block handed out starts `pad` (a multiple of its alignment)
        // bytes later.
        let p = unsafe {
            base.write(side as u8);
            base.add(pad)
        };
        let size = layout.size();
        let live = LIVE.fetch_add(size, Relaxed) + size;
        PEAK.fetch_max(live, Relaxed);
        OVERALL_PEAK.fetch_max(live, Relaxed);
        let side_live = SIDE_LIVE[side].fetch_add(size, Relaxed) + size;
        SIDE_PEAK[side].fetch_max(side_live, Relaxed);
        ALLOCATIONS.fetch_add(1, Relaxed);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // `alloc` succeeded with this layout, so the header layout exists.
        let Some((outer, pad)) = with_header(layout) else {
            return;
        };
        // SAFETY: `ptr` came from `alloc` with this layout (the caller's promise), so its
        // header starts `pad` bytes before it, in the same block.
        let (base, side) = unsafe {
            let base = ptr.sub(pad);
            (base, usize::from(base.read()))
        };
        // SAFETY: the block `alloc` got from the heap, with the layout it asked for.
        unsafe { self.heap.dealloc(base, outer) };
        LIVE.fetch_sub(layout.size(), Relaxed);
        if let Some(live) = SIDE_LIVE.get(side) {
            live.fetch_sub(layout.size(), Relaxed);
        }
    }
}

/// Hands the static array to the allocator; call once, first thing.
pub fn init() {
    // SAFETY: called once at start, before anything allocates; the array is used by
    // nothing else.
    unsafe {
        #[cfg(feature = "measure")]
        let heap = &HEAP.heap;
        #[cfg(not(feature = "measure"))]
        let heap = &HEAP;
        embedded_alloc::init!(heap, HEAP_SIZE);
    }
}

/// Runs `f` with its allocations charged to `side`.
#[inline(always)]
pub fn charge<T>(side: Side, f: impl FnOnce() -> T) -> T {
    let before = SIDE.swap(side as usize, Relaxed);
    let r = f();
    SIDE.store(before, Relaxed);
    r
}

/// Starts new peak measurements (in all and per side) from what is live now.
pub fn reset_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    for (peak, live) in SIDE_PEAK.iter().zip(&SIDE_LIVE) {
        peak.store(live.load(Relaxed), Relaxed);
    }
}

/// Most bytes charged to `side` live at once since the last [`reset_peak`].
pub fn side_peak(side: Side) -> usize {
    SIDE_PEAK[side as usize].load(Relaxed)
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
