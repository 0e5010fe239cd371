import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one delivery with async-http-client and classifies the answer: 2xx delivered; timeouts, connection
/// errors, 5xx, 408 and 429 retried (429 and 503 after `Retry-After` when given); other statuses, and a host
/// that now resolves to a forbidden address, dead at once.
struct WebhookSender: Sendable {
    let client: HTTPClient
    let guardrail: AddressGuard
    let settings: WebhookSettings

    func send(_ delivery: ClaimedDelivery) async -> DeliveryOutcome {
        let started = ContinuousClock.now
        func latency() -> Int {
            let elapsed = ContinuousClock.now - started
            return Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
        }
        do {
            _ = try await guardrail.check(delivery.url)
        } catch {
            // A forbidden address stays forbidden; a name that does not resolve now may later.
            let retry = if case .forbiddenAddress = error { false } else { true }
            return outcome(delivery, retry: retry, code: nil, latency: 0, error: "\(error)", retryAfter: nil)
        }
        let timestamp = Int64(Date().timeIntervalSince1970)
        let body = Array(delivery.body.utf8)
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Kefu-Webhooks/1")
        request.headers.add(name: "webhook-id", value: delivery.webhookID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: WebhookSigner.signature(id: delivery.webhookID, timestamp: timestamp, body: body, secrets: delivery.secrets))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(delivery.timeoutMs)))
            var read = 0
            var snippet: [UInt8] = []
            for try await chunk in response.body {
                if read < settings.responseLimit {
                    snippet += chunk.readableBytesView.prefix(settings.responseLimit - read)
                }
                read += chunk.readableBytes
                if read >= settings.responseLimit { break }
            }
            let code = Int(response.status.code)
            if (200..<300).contains(code) {
                return DeliveryOutcome(id: delivery.id, status: .delivered, statusCode: code, latencyMs: latency(), error: nil, nextAttemptAt: nil)
            }
            let text = String(decoding: snippet.prefix(200), as: UTF8.self)
            let error = "HTTP \(code)" + (text.isEmpty ? "" : ": " + text)
            let retryable = code >= 500 || code == 429 || code == 408
            let retryAfter = (code == 429 || code == 503) ? response.headers.first(name: "Retry-After").flatMap(Self.retryAfter) : nil
            return outcome(delivery, retry: retryable, code: code, latency: latency(), error: error, retryAfter: retryAfter)
        } catch {
            let reason: String
            if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout {
                reason = "timeout after \(delivery.timeoutMs) ms"
            } else {
                reason = "\(error)"
            }
            return outcome(delivery, retry: true, code: nil, latency: latency(), error: reason, retryAfter: nil)
        }
    }

    /// A failure: retried after the backoff (or `Retry-After`) unless that falls past the retry window, then dead.
    private func outcome(
        _ delivery: ClaimedDelivery, retry: Bool, code: Int?, latency: Int, error: String, retryAfter: Duration?
    ) -> DeliveryOutcome {
        let error = String(error.prefix(500))
        guard retry else {
            return DeliveryOutcome(id: delivery.id, status: .dead, statusCode: code, latencyMs: latency, error: error, nextAttemptAt: nil)
        }
        let delay = retryAfter ?? settings.retryDelay(afterAttempts: delivery.attempts)
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let next = Date().addingTimeInterval(seconds)
        if next > delivery.retrySince.addingTimeInterval(TimeInterval(settings.retryWindowSeconds)) {
            return DeliveryOutcome(id: delivery.id, status: .dead, statusCode: code, latencyMs: latency, error: error, nextAttemptAt: nil)
        }
        return DeliveryOutcome(id: delivery.id, status: .failed, statusCode: code, latencyMs: latency, error: error, nextAttemptAt: next)
    }

    /// `Retry-After` as seconds or an HTTP date, at most a day.
    static func retryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(min(seconds, 86_400)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .seconds(min(max(0, Int(date.timeIntervalSinceNow.rounded(.up))), 86_400))
    }
}
