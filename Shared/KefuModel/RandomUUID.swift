#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

extension UUID {
    /// A random (version 4) UUID from the kernel's random source, as `UUID()` makes, without its cost: on Linux
    /// `UUID()` opens, reads and closes `/dev/urandom` for every identifier (three system calls, several per cent
    /// of a busy service's time); this reads 4 KiB at a time from one descriptor kept open.
    public static func randomV4() -> UUID {
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { raw in
            RandomBytePool.shared.fill(raw)
            raw[6] = (raw[6] & 0x0F) | 0x40
            raw[8] = (raw[8] & 0x3F) | 0x80
        }
        return UUID(uuid: uuid)
    }
}

/// Random bytes from `/dev/urandom` read in blocks (the system generator where it cannot be read).
final class RandomBytePool: Sendable {
    static let shared = RandomBytePool()
    private static let blockSize = 4096

    private struct State {
        var descriptor: Int32 = -1
        var block: [UInt8] = []
        var position = 0
    }

    private let state = Mutex(State())

    /// Fills `buffer` (at most ``blockSize`` bytes) with random bytes.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count <= Self.blockSize)
        state.withLock { state in
            if state.block.count - state.position < buffer.count { Self.refill(&state) }
            state.block.withUnsafeBytes { block in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: block[state.position..<(state.position + buffer.count)]))
            }
            state.position += buffer.count
        }
    }

    private static func refill(_ state: inout State) {
        var block = [UInt8](repeating: 0, count: blockSize)
        var filled = 0
        #if canImport(Glibc)
        if state.descriptor < 0 { state.descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
        if state.descriptor >= 0 {
            let descriptor = state.descriptor
            filled = block.withUnsafeMutableBytes { raw in
                var count = 0
                while count < blockSize {
                    let got = read(descriptor, raw.baseAddress! + count, blockSize - count)
                    if got > 0 {
                        count += got
                    } else if got < 0, errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
                return count
            }
        }
        #endif
        if filled < blockSize {
            var generator = SystemRandomNumberGenerator()
            block.withUnsafeMutableBytes { raw in
                var offset = 0
                while offset < blockSize {
                    raw.storeBytes(of: generator.next() as UInt64, toByteOffset: offset, as: UInt64.self)
                    offset += 8
                }
            }
        }
        state.block = block
        state.position = 0
    }
}
