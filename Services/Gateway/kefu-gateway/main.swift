import Foundation
import GatewayService
import ServiceRuntime

let gateway: GatewayConfiguration
do {
    gateway = try GatewayConfiguration()
} catch {
    FileHandle.standardError.write(Data("kefu-gateway: \(error)\n".utf8))
    exit(2)
}
await ServiceHost.main(GatewayService.definition(gateway))
