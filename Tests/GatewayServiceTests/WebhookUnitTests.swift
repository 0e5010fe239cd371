import Foundation
import ServiceRuntime
import Testing
@testable import GatewayService

/// The pure parts of webhooks: the Standard Webhooks signature, the address ranges of the SSRF guard,
/// `Retry-After` and the retry schedule.
@Suite struct WebhookUnitTests {
    @Test func signatureMatchesTheStandardWebhooksVector() {
        let signature = WebhookSigner.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8),
            secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let secret = WebhookSigner.newSecret()
        #expect(secret.hasPrefix("whsec_") && WebhookSigner.key(of: secret).count == 24)
    }

    @Test func addressRanges() {
        let kinds: [(String, IPAddress.Kind)] = [
            ("93.184.215.14", .public), ("8.8.8.8", .public), ("2606:4700::1111", .public),
            ("127.0.0.1", .private), ("127.9.9.9", .private), ("10.0.0.1", .private), ("172.16.0.1", .private),
            ("172.31.255.255", .private), ("192.168.1.1", .private), ("169.254.169.254", .private), ("100.64.0.1", .private),
            ("::1", .private), ("fe80::1", .private), ("fd12:3456::1", .private), ("::ffff:10.0.0.1", .private),
            ("::ffff:127.0.0.1", .private), ("64:ff9b::a00:1", .private), ("::ffff:8.8.8.8", .public),
            ("0.0.0.0", .never), ("::", .never), ("224.0.0.1", .never), ("255.255.255.255", .never), ("ff02::1", .never),
            ("172.32.0.1", .public), ("192.169.0.1", .public),
        ]
        for (text, kind) in kinds {
            #expect(IPAddress(literal: text)?.kind == kind, "\(text)")
        }
        #expect(IPAddress(literal: "example.com") == nil)
        #expect(!AddressGuard(allowPrivate: false).allowed(IPAddress(literal: "127.0.0.1")!))
        #expect(AddressGuard(allowPrivate: true).allowed(IPAddress(literal: "127.0.0.1")!))
        #expect(!AddressGuard(allowPrivate: true).allowed(IPAddress(literal: "0.0.0.0")!))
    }

    @Test func urlForm() {
        #expect(throws: WebhookURLError.self) { try AddressGuard.parse("ftp://example.com/") }
        #expect(throws: WebhookURLError.self) { try AddressGuard.parse("https://u:p@example.com/") }
        #expect(throws: WebhookURLError.self) { try AddressGuard.parse("/relative") }
        #expect(throws: WebhookURLError.self) { try AddressGuard.parse("https:///nohost") }
        #expect((try? AddressGuard.parse("https://example.com:8443/hook?x=1")) != nil)
    }

    @Test func retryAfterAndSchedule() throws {
        #expect(WebhookSender.retryAfter("120") == .seconds(120))
        #expect(WebhookSender.retryAfter("999999") == .seconds(86_400))
        #expect(WebhookSender.retryAfter("soon") == nil)
        let later = Date().addingTimeInterval(30)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let parsed = try #require(WebhookSender.retryAfter(formatter.string(from: later)))
        #expect(parsed >= .seconds(28) && parsed <= .seconds(31))

        let settings = try WebhookSettings(reader: .init(environment: [:]))
        #expect(settings.retryWindowSeconds == 86_400 && !settings.allowPrivate)
        for attempts in 1...20 {
            let delay = settings.retryDelay(afterAttempts: attempts)
            let full = min(3_600_000.0, 5000.0 * Double(1 << (attempts - 1)))
            let ms = Double(delay.components.seconds) * 1000 + Double(delay.components.attoseconds) / 1e15
            #expect(ms >= full / 2 - 1 && ms <= full + 1, "attempt \(attempts): \(ms) ms")
        }
        #expect(throws: (any Error).self) {
            try WebhookSettings(reader: .init(environment: ["KEFU_WEBHOOKS_RETRY_BASE_MS": "5000", "KEFU_WEBHOOKS_RETRY_MAX_MS": "100"]))
        }
        #expect(throws: (any Error).self) { try WebhookSettings(reader: .init(environment: ["KEFU_WEBHOOKS_ALLOW_PRIVATE": "maybe"])) }
    }
}
