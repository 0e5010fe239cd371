/// Redis Cluster key slots: `CRC16(key) mod 16384` (CRC-16/XMODEM), hashing only the part between the first
/// `{` and the next `}` when that part is not empty (the hash tag), as the Redis Cluster specification says.
public enum ClusterKeySlot {
    /// Number of hash slots in a Redis Cluster.
    public static let count = 16_384

    /// The slot of `key`.
    public static func slot(of key: some Collection<UInt8>) -> Int {
        let bytes = Array(key)
        var hashed = bytes[...]
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
           let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 {
            hashed = bytes[(open + 1)..<close]
        }
        return Int(crc16(hashed) & 0x3FFF)
    }

    /// The slot of the text `key`.
    public static func slot(of key: String) -> Int {
        slot(of: Array(key.utf8))
    }

    /// CRC-16/XMODEM (polynomial 0x1021, initial 0), as `CLUSTER KEYSLOT` uses.
    public static func crc16(_ bytes: some Collection<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(((crc >> 8) ^ UInt16(byte)) & 0xFF)]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { value in
        var crc = UInt16(value) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}

/// Where the keys of a command are, for routing it in a Redis Cluster.
enum ClusterCommandKeys {
    /// The key arguments of `command` (empty for keyless commands such as `PING`, `MULTI`, `CLIENT …`).
    static func keys(of command: [[UInt8]]) -> [[UInt8]] {
        guard let first = command.first else { return [] }
        let name = String(decoding: first, as: UTF8.self).uppercased()
        switch name {
        case "PING", "MULTI", "EXEC", "DISCARD", "CLIENT", "INFO", "CLUSTER", "ASKING", "SCRIPT", "FLUSHALL",
             "FLUSHDB", "DBSIZE", "ROLE", "TIME", "WAIT", "CONFIG", "AUTH", "SELECT", "HELLO", "ECHO", "READONLY",
             "READWRITE", "COMMAND", "DEBUG", "MIGRATE", "SUBSCRIBE", "PUBLISH", "KEYS", "SCAN", "RANDOMKEY":
            return []
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard command.count > 2, let count = Int(String(decoding: command[2], as: UTF8.self)), count > 0,
                  command.count >= 3 + count else { return [] }
            return Array(command[3..<(3 + count)])
        case "XREAD", "XREADGROUP":
            return streamKeys(of: command).map { command[$0] }
        case "XGROUP", "XINFO", "OBJECT", "MEMORY":
            return command.count > 2 ? [command[2]] : []
        case "DEL", "UNLINK", "EXISTS", "TOUCH", "MGET":
            return Array(command.dropFirst())
        default:
            return command.count > 1 ? [command[1]] : []
        }
    }

    /// The argument positions of the stream keys of an `XREAD`/`XREADGROUP` (the first half after `STREAMS`).
    static func streamKeys(of command: [[UInt8]]) -> Range<Int> {
        let streams = Array("STREAMS".utf8)
        guard let marker = command.firstIndex(where: { $0.count == 7 && $0.map(upper) == streams }) else {
            return 0..<0
        }
        let rest = command.count - marker - 1
        guard rest > 0, rest % 2 == 0 else { return 0..<0 }
        return (marker + 1)..<(marker + 1 + rest / 2)
    }

    /// The slot every key of `command` is in: nil for a keyless command, -1 when the keys span several slots.
    static func slot(of command: [[UInt8]]) -> Int? {
        var slot: Int?
        for key in keys(of: command) {
            let own = ClusterKeySlot.slot(of: key)
            if let slot, slot != own { return -1 }
            slot = own
        }
        return slot
    }

    private static func upper(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
    }
}
