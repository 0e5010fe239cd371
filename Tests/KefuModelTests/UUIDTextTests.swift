import Foundation
import KefuModel
import Testing

@Suite("UUID text without sscanf/snprintf")
struct UUIDTextTests {
    @Test("writes what uuidString.lowercased() writes and reads it back, for 10,000 random UUIDs")
    func roundTrip() {
        for _ in 0..<10_000 {
            let uuid = UUID()
            #expect(uuid.lowercasedText == uuid.uuidString.lowercased())
            #expect(UUID(text: uuid.lowercasedText) == uuid)
            #expect(UUID(text: uuid.uuidString) == uuid)
        }
        #expect(UUID(text: "00000000-0000-0000-0000-000000000000")?.lowercasedText == "00000000-0000-0000-0000-000000000000")
        #expect(UUID(text: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")?.lowercasedText == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    /// Foundation's `sscanf` reads " 3f2c…4a9" (a space and 35 digits) as a UUID; this does not.
    @Test("refuses anything but 36 characters of 8-4-4-4-12 hex", arguments: [
        "", "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a9", "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a900", "3f2c8a4e6b1d-4c8e-9a7f-2d5e8b1c4a900",
        "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a9g", "{3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a9}", "3f2c8a4e_6b1d_4c8e_9a7f_2d5e8b1c4a90",
        "３f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a9", " 3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a9",
    ])
    func refuses(text: String) {
        #expect(UUID(text: text) == nil)
    }

    @Test("identifiers use it on the wire")
    func identifiers() throws {
        let id = SessionID.random()
        #expect(id.description == id.uuid.uuidString.lowercased())
        #expect(SessionID(id.uuid.uuidString) == id)
    }
}
