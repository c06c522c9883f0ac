import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a request to stop after the current training step.
///
/// The first signal sets `requested`; the trainer checks it after every step, finishes that step, and
/// the run writes its checkpoint and exits with status 130. A second signal exits at once (status 130)
/// without touching any file.
public final class Interruption: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  private var sources: [DispatchSourceSignal] = []

  public init() {}

  /// Whether a stop was requested.
  public var requested: Bool { lock.withLock { count > 0 } }

  /// Starts listening for SIGINT and SIGTERM (once).
  public func install() {
    lock.withLock {
      guard sources.isEmpty else { return }
      for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { [weak self] in self?.received() }
        source.resume()
        sources.append(source)
      }
    }
  }

  private func received() {
    let signals = lock.withLock {
      count += 1
      return count
    }
    if signals >= 2 {
      FileHandle.standardError.write(Data("\nnnpipe: second interrupt, exiting now\n".utf8))
      _exit(ExitStatus.interrupted)
    }
  }
}
