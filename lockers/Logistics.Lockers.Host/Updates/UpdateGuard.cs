using Logistics.LockerLink;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Controller;
using Logistics.Lockers.Host.Link;

namespace Logistics.Lockers.Host.Updates;

/// <summary>
/// Keeps a new release only once it has reached the core. In the release on trial it counts starts and waits for the
/// link's first welcome; without one within <see cref="UpdateConfig.ConfirmWithinSeconds"/> (or after
/// <see cref="UpdateConfig.MaxTrialStarts"/> starts) it points <c>current</c> back at the previous version, leaves a
/// note, and asks for a restart (systemd starts the previous version). In any version it reports what the note says
/// and what an interrupted install left, and removes old versions.
/// </summary>
public sealed class UpdateGuard : IDisposable
{
    private readonly ReleaseLayout _layout;
    private readonly UpdateConfig _config;
    private readonly string _running;
    private readonly LockerController _controller;
    private readonly LinkClient? _link;
    private readonly TimeProvider _time;
    private readonly Action _restart;
    private readonly Action<string> _log;
    private readonly Lock _gate = new();
    private ITimer? _deadline;
    private bool _settled;

    public UpdateGuard(ReleaseLayout layout, UpdateConfig config, string running, LockerController controller, LinkClient? link, TimeProvider time, Action restart, Action<string> log)
    {
        (_layout, _config, _running, _controller, _link, _time, _restart, _log) = (layout, config, running, controller, link, time, restart, log);
    }

    /// <summary>Whether this start is a release on trial that has not reached the core yet.</summary>
    public bool OnTrial { get; private set; }

    /// <summary>
    /// First thing at start-up, before the hardware: counts a start of the release on trial; past the limit (a
    /// release that crashes before it can connect) goes back at once. True when the program must exit for a restart.
    /// </summary>
    public static bool RollBackIfFailingToStart(ReleaseLayout layout, UpdateConfig config, string running, Action<string> log)
    {
        if (ReleaseLayout.Read<TrialRecord>(layout.TrialFile) is not { } trial || trial.Version != running)
        {
            return false;
        }

        var starts = trial.Starts + 1;
        ReleaseLayout.Write(layout.TrialFile, trial with { Starts = starts });
        if (starts <= config.MaxTrialStarts)
        {
            return false;
        }

        return RollBack(layout, trial, $"{running} started {starts} times without reaching the core", log);
    }

    /// <summary>
    /// Goes back from the release on trial, if there is one (<c>rollback</c>, which the unit's <c>OnFailure=</c> runs from
    /// the previous version when the new one cannot even start). True when <c>current</c> was switched back.
    /// </summary>
    public static bool RollBackTrial(ReleaseLayout layout, string reason, Action<string> log) =>
        ReleaseLayout.Read<TrialRecord>(layout.TrialFile) is { } trial && RollBack(layout, trial, $"{trial.Version}: {reason}", log);

    public void Start()
    {
        if (ReleaseLayout.Read<RollbackRecord>(_layout.RollbackFile) is { } rolledBack)
        {
            _controller.RecordUpdate(new DevicePayload.UpdateRolledBack(rolledBack.FailedVersion, rolledBack.RestoredVersion, rolledBack.Reason));
            ReleaseLayout.Delete(_layout.RollbackFile);
        }

        if (ReleaseLayout.Read<TrialRecord>(_layout.TrialFile) is { } trial)
        {
            if (trial.Version == _running)
            {
                OnTrial = true;
                _log($"release {_running} on trial: it must reach the core within {_config.ConfirmWithinSeconds} s");
                _deadline = _time.CreateTimer(_ => Expire(trial), null, TimeSpan.FromSeconds(_config.ConfirmWithinSeconds), Timeout.InfiniteTimeSpan);
                if (_link is not null)
                {
                    _link.StateChanged += OnLink;
                    if (_link.State == LinkState.Online)
                    {
                        Confirm();
                    }
                }
            }
            else
            {
                // An install cut short before it switched (or a rollback cut short after it did): this version runs.
                _controller.RecordUpdate(new DevicePayload.UpdateRefused(trial.Version, $"the installation was interrupted; {_running} still runs"));
                ReleaseLayout.Delete(_layout.TrialFile);
            }
        }

        if (!OnTrial)
        {
            Prune();
        }
    }

    /// <summary>The release reached the core: it stays.</summary>
    public void Confirm()
    {
        lock (_gate)
        {
            if (_settled || !OnTrial)
            {
                return;
            }

            _settled = true;
            _deadline?.Dispose();
            ReleaseLayout.Delete(_layout.TrialFile);
            _log($"release {_running} reached the core: kept");
        }

        Prune();
    }

    public void Dispose()
    {
        _deadline?.Dispose();
        if (_link is not null)
        {
            _link.StateChanged -= OnLink;
        }
    }

    private void OnLink(LinkState state)
    {
        if (state == LinkState.Online)
        {
            Confirm();
        }
    }

    private void Expire(TrialRecord trial)
    {
        lock (_gate)
        {
            if (_settled)
            {
                return;
            }

            _settled = true;
        }

        if (RollBack(_layout, trial, $"{_running} did not reach the core within {_config.ConfirmWithinSeconds} s", _log))
        {
            _restart();
        }
    }

    /// <summary>The note first, then <c>current</c> back, then the trial closed: a cut anywhere still ends on the previous version, reported.</summary>
    private static bool RollBack(ReleaseLayout layout, TrialRecord trial, string reason, Action<string> log)
    {
        if (!File.Exists(Path.Combine(layout.VersionFolder(trial.Previous), Board.BoardVersion.ManifestFile)) && !Directory.Exists(layout.VersionFolder(trial.Previous)))
        {
            log($"cannot roll back to {trial.Previous}: it is not installed; keeping {trial.Version}");
            ReleaseLayout.Delete(layout.TrialFile);
            return false;
        }

        log($"rolling back to {trial.Previous}: {reason}");
        ReleaseLayout.Write(layout.RollbackFile, new RollbackRecord(trial.Version, trial.Previous, reason));
        layout.Link(layout.Current, trial.Previous);
        ReleaseLayout.Delete(layout.TrialFile);
        return true;
    }

    /// <summary>Keeps current, previous and the newest few; removes unfinished extractions and downloads.</summary>
    private void Prune()
    {
        if (!Directory.Exists(_layout.Versions))
        {
            return;
        }

        var keep = new HashSet<string?> { _layout.CurrentVersion, _layout.PreviousVersion, _running };
        var folders = new DirectoryInfo(_layout.Versions).GetDirectories().OrderByDescending(d => d.LastWriteTimeUtc).ToList();
        foreach (var folder in folders.Where(f => f.Name.StartsWith('.')).Concat(folders.Where(f => !f.Name.StartsWith('.') && !keep.Contains(f.Name)).Skip(Math.Max(0, _config.KeepVersions - keep.Count))))
        {
            folder.Delete(recursive: true);
        }

        if (Directory.Exists(_layout.Incoming))
        {
            foreach (var file in Directory.EnumerateFiles(_layout.Incoming))
            {
                File.Delete(file);
            }
        }
    }
}
