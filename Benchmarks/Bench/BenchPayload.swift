/// The entry every benchmark writes: one `event` field holding a Kefu-like JSON envelope (~200 bytes).
enum BenchPayload {
    static func event(_ index: Int) -> [UInt8] {
        Array("""
            {"id":"00000000-0000-4000-8000-\(String(format12(index)))","type":"message.accepted",\
            "session":"s-\(index % 997)","seq":\(index),"channel":"web","text":"你好，请问有什么可以帮您？"}
            """.utf8)
    }

    private static func format12(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}
