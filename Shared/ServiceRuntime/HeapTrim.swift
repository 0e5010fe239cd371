#if canImport(Glibc)
import Glibc
#endif

/// Gives memory freed inside the process back to the system. glibc keeps freed memory in its arenas (one per
/// thread that allocated), so after a burst of short-lived allocations the resident size stays at its peak.
public enum HeapTrim {
    /// Runs glibc's `malloc_trim(0)`, which also releases free pages inside the heap; does nothing elsewhere.
    /// Costs milliseconds: call it after a burst (a load, a wave of closed sockets), never per request.
    public static func releaseFreeMemory() {
        _ = mallocTrim?(0)
    }

    /// glibc's `malloc_trim` (a GNU extension the Glibc module does not export), nil elsewhere.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
