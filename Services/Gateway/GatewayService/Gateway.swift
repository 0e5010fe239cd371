import Foundation
import Hummingbird
import KefuModel
import Logging
import NIOCore
import ServiceLifecycle
import ServiceRuntime

/// Everything the gateway's routes share.
struct Gateway: Sendable, CustomStringConvertible {
    let context: ServiceContext
    let gateway: GatewayConfiguration
    let forwarder: Forwarder
    let waiter: ReplyWaiter
    let hub: Hub
    let auth: Authenticator
    let tokens: TokenStore
    let accounts: AccountStore
    let idempotency: IdempotencyStore
    let inFlight = InFlightRequests()
    let uploads: UploadStore
    let fileUploads: FileUploadStore
    let limiter: RateLimiter
    let webhooks: Webhooks
    let replyStream: String
    let catalog = RouteCatalog()

    init(context: ServiceContext, gateway: GatewayConfiguration) throws {
        self.context = context
        self.gateway = gateway
        let source = Self.source(instance: context.configuration.instance)
        do {
            replyStream = try context.streams.replies(instance: source)
        } catch {
            throw ConfigError.invalid(variable: "KEFU_INSTANCE", value: context.configuration.instance, reason: "\(error)")
        }
        waiter = ReplyWaiter(logger: context.logger)
        let forwarder = Forwarder(
            producer: context.producer, streams: context.streams, replyStream: replyStream, waiter: waiter, source: source,
            timeout: gateway.requestTimeout)
        self.forwarder = forwarder
        hub = Hub(buffer: EventBuffer(capacity: gateway.eventBufferSize), logger: context.logger) { agentID in
            guard let id = AgentID(agentID) else { return nil }
            return try? await forwarder.query(.routing, "queue.summary", actor: Actor(role: .agent, agentID: id))
        } monitorCounters: { actor in
            try? await forwarder.query(.reporting, "monitor.today", actor: actor)
        }
        tokens = TokenStore(postgres: context.postgres, accessTTL: gateway.accessTokenTTL, refreshTTL: gateway.refreshTokenTTL)
        auth = Authenticator(tokens: tokens, secret: gateway.secret)
        accounts = AccountStore(
            postgres: context.postgres, hasher: PasswordHasher(cost: gateway.bcryptCost), outbox: context.outbox,
            commandsStream: context.streams.commands, source: source, publisher: context.publisher)
        idempotency = IdempotencyStore(postgres: context.postgres)
        uploads = UploadStore(postgres: context.postgres)
        fileUploads = FileUploadStore(postgres: context.postgres)
        limiter = RateLimiter(redis: context.redis, prefix: context.streams.prefix)
        webhooks = Webhooks(context: context, settings: gateway.webhooks)
    }

    var description: String { "Gateway(\(replyStream))" }

    /// The `source` of this instance's entries and the name of its reply stream: `gateway-<instance>`,
    /// lowercased, other characters replaced by `-`.
    static func source(instance: String) -> String {
        let cleaned = instance.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "-" }
        return String(("gateway-" + String(cleaned)).prefix(64))
    }

    /// A Redis key for a short-lived binary body.
    func blobKey() -> String { "\(context.streams.prefix):blob:\(UUID().uuidString.lowercased())" }
}

/// Runs the gateway's background tasks: the reply, events and signals tailers, bootstrap admin and purges.
struct GatewayBackground: Service, CustomStringConvertible {
    let gateway: Gateway
    let replies: StreamTail
    let events: StreamTail
    let signals: StreamTail

    var description: String { "GatewayBackground(\(gateway.replyStream))" }

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await replies.run { gateway.waiter.deliver($0) } }
            group.addTask { await events.run { await gateway.hub.dispatch($0) } }
            group.addTask { await signals.run { await gateway.hub.dispatchSignals($0) } }
            group.addTask { await maintenance() }
            group.addTask {
                await withGracefulShutdownHandler {
                    await gateway.hub.trimmer.run()
                } onGracefulShutdown: {
                    gateway.hub.trimmer.finish()
                }
            }
        }
    }

    private func maintenance() async {
        await cancelWhenGracefulShutdown {
            await bootstrapAdmin()
            while !Task.isCancelled {
                do {
                    _ = try await gateway.tokens.purgeExpired()
                    _ = try await gateway.idempotency.purge(olderThanDays: 2)
                    _ = try await gateway.uploads.purge(olderThanDays: 30)
                    _ = try await gateway.fileUploads.purge(olderThanDays: 30)
                    _ = try await gateway.context.redis.send(["EXPIRE", gateway.replyStream, "86400"])
                    _ = try await gateway.context.redis.send(["XTRIM", gateway.replyStream, "MAXLEN", "~", "10000"])
                } catch {
                    gateway.context.logger.debug("maintenance deferred", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }

    private func bootstrapAdmin() async {
        guard let admin = gateway.gateway.bootstrapAdmin else { return }
        var delay = 200
        while !Task.isCancelled {
            if gateway.context.readiness.checks["migrations"] == true {
                do {
                    if try await gateway.accounts.bootstrapAdmin(username: admin.username, password: admin.password) {
                        gateway.context.logger.info("bootstrap admin account created", metadata: ["username": "\(admin.username)"])
                    }
                    return
                } catch {
                    gateway.context.logger.warning("bootstrap admin not created yet", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .milliseconds(delay))
            delay = min(delay * 2, 5000)
        }
    }
}
