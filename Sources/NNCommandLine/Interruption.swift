import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a prompt, safe end of the run, whatever it is doing.
///
/// - Before training starts (reading the model file, loading and checking the data, reading a
///   checkpoint to resume) there is nothing to save: the first signal exits at once with status 130,
///   even while a read waits on a pipe or FIFO that never ends.
/// - Once training has started (`trainingStarted()`), the first signal sets `requested`; the trainer
///   checks it after every step, finishes that step, and the run writes its checkpoint and exits with
///   status 130. A second signal exits at once (status 130) without touching any file.
///
/// The signals are handled on a dispatch queue, not on the thread doing the work, so a thread blocked
/// in a read does not delay the exit.
public final class Interruption: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  private var isTraining = false
  private var sources: [DispatchSourceSignal] = []

  public init() {}

  /// Whether a stop was requested.
  public var requested: Bool { lock.withLock { count > 0 } }

  /// Starts listening for SIGINT and SIGTERM (once). Call it before any work: until
  /// `trainingStarted()`, a signal exits at once.
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

  /// Marks the start of training: from now on the first signal asks the trainer to stop after its
  /// step and save (see the type's documentation). A signal that came before is honoured at once.
  public func trainingStarted() {
    let pending = lock.withLock {
      isTraining = true
      return count
    }
    if pending > 0 { exitBeforeTraining() }
  }

  private func received() {
    let (signals, training) = lock.withLock {
      count += 1
      return (count, isTraining)
    }
    if !training { exitBeforeTraining() }
    if signals >= 2 {
      FileHandle.standardError.write(Data("\nnnpipe: second interrupt, exiting now\n".utf8))
      _exit(ExitStatus.interrupted)
    }
  }

  private func exitBeforeTraining() -> Never {
    FileHandle.standardError.write(
      Data("\nnnpipe: interrupted before training started; nothing was written\n".utf8))
    _exit(ExitStatus.interrupted)
  }
}
