/// One per-epoch series of a run (its training loss, its validation loss) kept in bounded memory: every
/// epoch exactly up to `capacity` epochs, then in buckets of consecutive epochs, each keeping the
/// smallest and the largest value of its epochs (what a plot needs to keep the curve's shape).
///
/// When the buckets fill up, neighbouring buckets are merged in pairs and each bucket covers twice as
/// many epochs: a series never holds more than `capacity` buckets, however long the run, so the
/// checkpoint that stores it stays small (a 3-million-epoch run keeps 11 719 buckets of 256 epochs).
///
/// ```swift
/// var series = EpochSeries(capacity: 4)
/// for loss in [5.0, 4, 3, 2, 1] { series.append(loss) }
/// // series.epochsPerBucket == 2; series.minimums == [4, 2, 1]; series.maximums == [5, 3, 1]
/// ```
public struct EpochSeries: Sendable, Equatable {
  /// The most buckets a series keeps by default: 16 384 (128 KiB of `Double`s for an exact series,
  /// 256 KiB of minimums and maximums once bucketed).
  public static let defaultCapacity = 16_384

  /// The most buckets kept (even, at least 2).
  public let capacity: Int
  /// The number of epochs each bucket covers, a power of two; 1 while every epoch is kept exactly.
  /// The last bucket may cover fewer.
  public private(set) var epochsPerBucket: Int
  /// The smallest value of each bucket's epochs (the values themselves while `isExact`). A NaN
  /// value makes its bucket's minimum and maximum NaN.
  public private(set) var minimums: [Double]
  /// The largest value of each bucket's epochs.
  public private(set) var maximums: [Double]
  /// The number of epochs recorded.
  public private(set) var epochs: Int

  /// An empty series keeping at most `capacity` buckets (even, at least 2).
  public init(capacity: Int = EpochSeries.defaultCapacity) {
    precondition(capacity >= 2 && capacity % 2 == 0, "EpochSeries: capacity must be even and ≥ 2")
    self.capacity = capacity
    epochsPerBucket = 1
    minimums = []
    maximums = []
    epochs = 0
  }

  /// The series of `values`, one per epoch.
  public init(values: [Double], capacity: Int = EpochSeries.defaultCapacity) {
    self.init(capacity: capacity)
    for value in values { append(value) }
  }

  /// A series as stored: `epochs` epochs in buckets of `epochsPerBucket`, or `nil` if the parts do
  /// not fit together (a power-of-two bucket size, as many buckets as the epochs need, at most
  /// `capacity`, equal minimums and maximums for an exact series).
  public init?(
    epochs: Int, epochsPerBucket: Int, minimums: [Double], maximums: [Double],
    capacity: Int = EpochSeries.defaultCapacity
  ) {
    guard capacity >= 2, capacity % 2 == 0, epochs >= 0, epochsPerBucket >= 1,
      epochsPerBucket & (epochsPerBucket - 1) == 0, minimums.count == maximums.count,
      minimums.count <= capacity
    else { return nil }
    let (rounded, overflow) = epochs.addingReportingOverflow(epochsPerBucket - 1)
    guard !overflow, rounded / epochsPerBucket == minimums.count else { return nil }
    if epochsPerBucket == 1 {
      guard zip(minimums, maximums).allSatisfy({ $0.bitPattern == $1.bitPattern }) else {
        return nil
      }
    }
    self.capacity = capacity
    self.epochsPerBucket = epochsPerBucket
    self.minimums = minimums
    self.maximums = maximums
    self.epochs = epochs
  }

  /// Whether every epoch's value is kept (`epochsPerBucket == 1`).
  public var isExact: Bool { epochsPerBucket == 1 }

  /// Every epoch's value while the series is exact, else `nil`.
  public var values: [Double]? { isExact ? minimums : nil }

  /// One value per recorded epoch, for a plot: each epoch's own value while the series is exact;
  /// once bucketed, a bucket's first epoch shows its minimum and the others its maximum, so a plot
  /// that draws the extremes of each pixel column (`SVGPlot`) draws the same curve.
  public var perEpochValues: [Double] {
    if isExact { return minimums }
    var result: [Double] = []
    result.reserveCapacity(epochs)
    for bucket in minimums.indices {
      let count = Swift.min(epochsPerBucket, epochs - bucket * epochsPerBucket)
      result.append(minimums[bucket])
      result.append(contentsOf: repeatElement(maximums[bucket], count: count - 1))
    }
    return result
  }

  /// Records the next epoch's value.
  public mutating func append(_ value: Double) {
    if epochs % epochsPerBucket == 0 {
      if minimums.count == capacity { mergePairs() }
      minimums.append(value)
      maximums.append(value)
    } else {
      let last = minimums.count - 1
      minimums[last] = Self.smaller(minimums[last], value)
      maximums[last] = Self.larger(maximums[last], value)
    }
    epochs += 1
  }

  /// Merges neighbouring buckets in pairs (the buckets are full: `capacity` of them).
  private mutating func mergePairs() {
    var mergedMinimums: [Double] = []
    var mergedMaximums: [Double] = []
    mergedMinimums.reserveCapacity(capacity)
    mergedMaximums.reserveCapacity(capacity)
    for pair in stride(from: 0, to: minimums.count, by: 2) {
      mergedMinimums.append(Self.smaller(minimums[pair], minimums[pair + 1]))
      mergedMaximums.append(Self.larger(maximums[pair], maximums[pair + 1]))
    }
    minimums = mergedMinimums
    maximums = mergedMaximums
    epochsPerBucket *= 2
  }

  /// The smaller of `a` and `b`, NaN if either is (`Double.minimum` would drop a quiet NaN).
  static func smaller(_ a: Double, _ b: Double) -> Double {
    a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
  }

  /// The larger of `a` and `b`, NaN if either is.
  static func larger(_ a: Double, _ b: Double) -> Double {
    a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
  }
}

/// The per-epoch series of a whole run, across resumes: the training loss and, when there is
/// validation data, the validation loss, each an `EpochSeries`.
///
/// A checkpoint stores each series as a float64 tensor, `history.loss` and `history.val_loss`
/// (`[epochs]` while exact, `[buckets, 2]` of minimum and maximum once bucketed), so that its header
/// stays small for any run length.
public struct TrainingHistory: Sendable, Equatable {
  /// The training loss of every epoch (`loss`).
  public var loss: EpochSeries
  /// The validation loss of every epoch that had validation data (`val_loss`); `nil` if none had.
  public var validationLoss: EpochSeries?

  /// A history of `loss` and `validationLoss` (default: no epochs yet).
  public init(loss: EpochSeries = EpochSeries(), validationLoss: EpochSeries? = nil) {
    self.loss = loss
    self.validationLoss = validationLoss
  }

  /// Records one epoch: its loss, and its validation loss if any.
  public mutating func record(_ epoch: EpochRecord) {
    loss.append(epoch.loss)
    if let value = epoch.validationLoss {
      if validationLoss == nil { validationLoss = EpochSeries(capacity: loss.capacity) }
      validationLoss?.append(value)
    }
  }

  /// The series by the names a checkpoint stores them under: `loss`, and `val_loss` if any.
  public var named: [(name: String, series: EpochSeries)] {
    [("loss", loss)] + (validationLoss.map { [("val_loss", $0)] } ?? [])
  }
}
