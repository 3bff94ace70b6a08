"""Careless and hostile inputs to the whole load (issue 10): one bad file never stops the batch,
inputs are regular files, the console never breaks on a value, a waiting or interrupted load
says so, and a change of campaign file alone rebuilds. Each test builds its hostile file itself.
(What one file may cost is tested in test_hostile_read.py; personal data in test_personal.py.)"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import etl.load
from domain.campaign import default_campaign_path, load_campaign
from etl import warehouse
from etl.load import NotAFile, expand, load_files
from tests.etl_files import (
    REG_HEADER,
    db_of,
    government_sheet,
    query,
    registrations,
    use_temporary_secret,
    write_csv,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent
JUNE_8 = dt.date(2020, 6, 8)


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def reg_file(folder: Path, name: str, region: str, count: object = 12, *, day: object = JUNE_8) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_xlsx(folder / name, government_sheet("报名进度", REG_HEADER, [[region, day, "小学", count]]))


def run_cli(tmp_path: Path, *args: str, prelude: str = "", timeout: float = 180) -> subprocess.CompletedProcess:
    """`python -m etl` as a coordinator runs it, in its own process; `prelude` runs first in that
    process (to plant a bug in the loader, as a test of what a bug does)."""
    env = {**os.environ, "JSZG_SECRET_FILE": str(tmp_path / "secret" / "id-hash.key"), "COLUMNS": "160",
           "PYTHONPATH": str(ROOT)}
    code = f"import sys\n{prelude}\nfrom etl.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def read_report(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


# ---- one file's failure is that file's alone ------------------------------------------------


BUG_IN_ONE_FILE = """
import etl.load
from etl.validate import check as real_check
def check(located, *args, **kwargs):
    if "洛阳" in str(located.data):
        raise ZeroDivisionError("a cell: 张三 410102199001011234")
    return real_check(located, *args, **kwargs)
etl.load.check = check
"""


def test_a_bug_on_one_file_rejects_that_file_alone_with_exit_3_and_the_report_written(tmp_path):
    inbox = tmp_path / "收件箱"
    good = reg_file(inbox, "开封市.xlsx", "开封市")
    broken = reg_file(inbox, "洛阳市.xlsx", "洛阳市")
    also_good = reg_file(inbox, "郑州市.xlsx", "郑州市", 30)
    report = tmp_path / "report.json"

    done = run_cli(tmp_path, "load", str(inbox), "--db", str(db_of(tmp_path)), "--report", str(report), "--quiet",
                   prelude=BUG_IN_ONE_FILE)

    assert done.returncode == 3, done.stderr
    files = {Path(f["file"]).name: f for f in read_report(report)}
    assert [files[p.name]["status"] for p in (good, broken, also_good)] == ["loaded", "rejected", "loaded"]
    assert files[broken.name]["loader_failed"] is True
    assert "内部错误" in files[broken.name]["errors"][0]["message"]
    assert "其余文件不受影响" in done.stdout and "退出码 3" in done.stdout
    assert "ZeroDivisionError" in done.stderr  # where it happened goes to the log for the technician ...
    for text in (done.stdout, done.stderr, report.read_text(encoding="utf-8")):
        assert "410102199001011234" not in text and "张三" not in text  # ... but not the exception's text
    assert {r[0] for r in registrations(tmp_path)} == {"410200", "410100"}  # 开封, 郑州 published


def test_a_failure_in_one_file_never_changes_another_files_outcome(tmp_path, monkeypatch):
    """Mixed batches: each file's outcome in a batch with a broken, an unreadable and an empty file
    is the outcome it has alone."""
    files = [reg_file(tmp_path / "in", "开封市.xlsx", "开封市"),
             reg_file(tmp_path / "in", "洛阳市.xlsx", "洛阳市", -5),  # a bad row: rejected row
             write_csv(tmp_path / "in" / "空.csv", [REG_HEADER]),
             reg_file(tmp_path / "in", "郑州市.xlsx", "郑州市", 30)]
    (tmp_path / "in" / "坏.xlsx").write_bytes(os.urandom(3000))
    files.append(tmp_path / "in" / "坏.xlsx")
    alone = {}
    for i, path in enumerate(files):
        report = load_files([path], tmp_path / f"alone{i}" / "w.duckdb").files[0]
        alone[path.name] = (report.status, report.rows_loaded, report.rows_rejected, len(report.errors))
    real_check = etl.load.check

    def check(located, *args, **kwargs):
        if "郑州" in str(located.data):
            raise RuntimeError("bug")
        return real_check(located, *args, **kwargs)

    monkeypatch.setattr(etl.load, "check", check)
    batch = load_files(files, tmp_path / "batch" / "w.duckdb")

    outcomes = {Path(r.file).name: (r.status, r.rows_loaded, r.rows_rejected, len(r.errors)) for r in batch.files}
    assert outcomes.pop("郑州市.xlsx")[0] == "rejected"
    del alone["郑州市.xlsx"]
    assert outcomes == alone
    assert batch.exit_code == 3


# ---- inputs are files, not links ------------------------------------------------------------


def test_a_link_to_a_secret_is_refused_and_nothing_is_archived(tmp_path):
    secret = tmp_path / "secret" / "id-hash.key"
    secret.parent.mkdir()
    secret.write_bytes(b"the-key-that-must-not-leak")
    link = tmp_path / "报名进度.csv"
    link.symlink_to(secret)

    done = run_cli(tmp_path, "load", str(link), "--db", str(db_of(tmp_path)), "--quiet")

    assert done.returncode == 2
    assert "符号链接" in done.stderr and "不予导入" in done.stderr
    raw = warehouse.raw_dir(db_of(tmp_path))
    assert not raw.exists() or not any(p.is_file() for p in raw.rglob("*"))
    assert not db_of(tmp_path).exists()


def test_links_and_pipes_inside_a_folder_are_skipped_and_a_linked_folder_is_not_followed(tmp_path):
    inbox = tmp_path / "收件箱"
    good = reg_file(inbox, "开封市.xlsx", "开封市")
    outside = reg_file(tmp_path / "别处", "洛阳市.xlsx", "洛阳市")
    (inbox / "洛阳市.xlsx").symlink_to(outside)
    (inbox / "别处").symlink_to(outside.parent, target_is_directory=True)
    os.mkfifo(inbox / "管道.csv")

    assert expand([inbox]) == [good]
    with pytest.raises(NotAFile, match="符号链接"):
        expand([inbox / "别处"])
    with pytest.raises(NotAFile, match="设备、管道"):
        expand([inbox / "管道.csv"])


def test_archive_and_warehouse_are_readable_by_their_owner_only(tmp_path):
    load_files([reg_file(tmp_path / "in", "开封市.xlsx", "开封市")], db_of(tmp_path))

    version = warehouse.current_version(db_of(tmp_path))
    archived = [p for p in warehouse.raw_dir(db_of(tmp_path)).rglob("*") if p.is_file()]
    assert archived
    for path in [version, *archived]:
        assert os.stat(path).st_mode & 0o077 == 0, path
    assert os.stat(warehouse.raw_dir(db_of(tmp_path))).st_mode & 0o077 == 0


# ---- the console never breaks on a value ----------------------------------------------------


def test_markup_overlong_cells_and_a_newline_in_a_name_print_as_plain_text(tmp_path):
    inbox = tmp_path / "in"
    markup = reg_file(inbox, "标记.xlsx", "[/red][bold]洛阳市", 12)
    long_value = "很长" * 750  # under the cell-length limit (a longer cell rejects the file: test_hostile_read.py)
    overlong = reg_file(inbox, "超长.xlsx", long_value, 12)
    forged = inbox / "开封市.xlsx\n✓ 全部导入成功.xlsx"
    reg_file(inbox, "x.xlsx", "不存在的县").rename(forged)
    report = tmp_path / "report.json"

    done = run_cli(tmp_path, "load", str(markup), str(overlong), str(forged), "--db", str(db_of(tmp_path)),
                   "--report", str(report), "--quiet")

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "MarkupError" not in done.stderr
    assert "[/red][bold]洛阳市" in done.stdout  # shown as typed, not read as markup
    assert not any(line.lstrip().startswith("✓") for line in done.stdout.splitlines())  # no forged line
    assert "\\n✓" in done.stdout  # the newline is shown escaped
    assert long_value not in done.stdout and "共 1500 字符" in done.stdout
    assert len(done.stdout) < 3000
    saved = {Path(f["file"]).name: f for f in read_report(report)}
    assert saved["超长.xlsx"]["errors"][0]["value"] == long_value  # the report keeps the value whole


# ---- a waiting load, an interrupted load ------------------------------------------------------


def test_a_second_load_says_it_is_waiting_for_the_first(tmp_path):
    db = db_of(tmp_path)
    heard: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def first_load() -> None:
        with warehouse.exclusive(db):
            holding.set()
            release.wait(30)

    other = threading.Thread(target=first_load)
    other.start()
    holding.wait(10)
    threading.Timer(1.0, release.set).start()
    result = load_files([reg_file(tmp_path / "in", "开封市.xlsx", "开封市")], db,
                        progress=lambda name, phase, done: heard.append(phase))
    other.join()

    assert heard[0] == "正在等待另一个导入完成……"
    assert result.files[0].status == "loaded"


def test_a_killed_load_is_reported_by_the_next_one(tmp_path):
    db = db_of(tmp_path)
    files = [reg_file(tmp_path / "in", f"{n}.xlsx", n) for n in ("开封市", "洛阳市", "郑州市")]
    stall = "import time, etl.load\nreal = etl.load.check\netl.load.check = lambda *a, **k: time.sleep(60)"
    env = {**os.environ, "JSZG_SECRET_FILE": str(tmp_path / "secret" / "id-hash.key"), "PYTHONPATH": str(ROOT)}
    code = f"import sys\n{stall}\nfrom etl.cli import main\nsys.exit(main(sys.argv[1:]))"
    victim = subprocess.Popen([sys.executable, "-c", code, "load", *map(str, files), "--db", str(db), "--quiet"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = warehouse.loading_marker(db)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()

    again = run_cli(tmp_path, "load", str(files[0]), "--db", str(db), "--quiet")

    assert again.returncode == 0, again.stderr
    assert "上一次导入在完成前被中断" in again.stdout
    assert "开封市.xlsx、洛阳市.xlsx、郑州市.xlsx" in again.stdout
    assert not marker.exists()
    assert load_files([files[1]], db).interrupted == []  # told once


# ---- the campaign file alone changes --------------------------------------------------------


def test_a_changed_campaign_file_rebuilds_even_when_no_file_changed(tmp_path):
    db = db_of(tmp_path)
    path = reg_file(tmp_path / "in", "开封市.xlsx", "开封市")
    campaign = load_campaign(default_campaign_path())
    first = load_files([path], db, campaign)
    same = load_files([path], db, campaign)
    changed = dataclasses.replace(campaign, risk=dataclasses.replace(campaign.risk, projection_tolerance=0.2))

    rebuilt = load_files([path], db, changed)

    assert first.version is not None and same.version is None
    assert rebuilt.version is not None and rebuilt.rebuilt_for_campaign
    assert rebuilt.files[0].status == "duplicate"
    assert load_files([path], db, changed).version is None


# ---- a file for a region outside the uploader's scope ------------------------------------------


def test_a_file_with_a_row_outside_the_uploaders_scope_is_refused_whole_and_may_be_loaded_by_another(tmp_path):
    db = db_of(tmp_path)
    zhoukou = reg_file(tmp_path / "in", "周口市.xlsx", "周口市")
    mixed = tmp_path / "in" / "混合.xlsx"
    write_xlsx(mixed, government_sheet("报名进度", REG_HEADER, [["项城市", JUNE_8, "小学", 3],
                                                                ["洛阳市", JUNE_8, "小学", 4]]))
    in_zhoukou = lambda code: code.startswith("4116")  # noqa: E731 — 周口市 and its counties

    result = load_files([zhoukou, mixed], db, allowed=in_zhoukou, received_by="周口市 王老师")

    assert [f.status for f in result.files] == ["loaded", "rejected"]
    message = result.files[1].errors[0].message
    assert "洛阳市" in message and "不在您的报送范围内" in message and "第 3 行" in message
    assert {r[0] for r in registrations(tmp_path)} == {"411600"}
    assert query(tmp_path, "select received_by from load_log order by load_seq") == [("周口市 王老师",),
                                                                                    ("周口市 王老师",)]
    by_admin = load_files([mixed], db, received_by="省管理员")
    assert by_admin.files[0].status == "loaded"  # refused for who sent it, not for what it holds


# ---- bounded work: a whole load under a memory limit --------------------------------------------


@pytest.mark.slow
def test_a_batch_with_a_zip_bomb_loads_its_good_file_under_a_memory_limit(tmp_path):
    """A 1 GiB-expanding workbook and a good file, loaded by the real command in a process limited
    to 4 GiB of address space (DuckDB reserves much it never touches; the old reader grew past
    8 GiB): the bomb is refused whole (nothing of it written or archived), the good file is
    published, the report is written, and the peak stays far below the limit."""
    import resource

    from tests.etl_files import repeated, xlsx_of_xml

    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    (tmp_path / "in").mkdir()
    bomb = xlsx_of_xml(tmp_path / "in" / "报名进度.xlsx", repeated(row, 23_000_000), level=1)
    good = reg_file(tmp_path / "in", "开封市.xlsx", "开封市")
    report = tmp_path / "report.json"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    env = {**os.environ, "JSZG_SECRET_FILE": str(tmp_path / "secret" / "id-hash.key"), "PYTHONPATH": str(ROOT)}
    code = ("import resource, sys\nfrom etl.cli import main\ncode = main(sys.argv[1:])\n"
            "print('峰值', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, 'MiB')\nsys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, "load", str(bomb), str(good), "--db", str(db_of(tmp_path)),
                           "--report", str(report), "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit)

    assert done.returncode == 1, done.stderr
    saved = {Path(f["file"]).name: f for f in read_report(report)}
    assert saved["报名进度.xlsx"]["status"] == "rejected"
    assert "解压后共 1075 MB，超过上限" in saved["报名进度.xlsx"]["errors"][0]["message"]
    assert saved["开封市.xlsx"]["status"] == "loaded"
    assert {r[0] for r in registrations(tmp_path)} == {"410200"}
    assert query(tmp_path, "select count(*) from rejected_rows")[0][0] == 1  # the one reason, no rows of it
    assert saved["报名进度.xlsx"]["raw_kept"] is False
    peak = int(done.stdout.split("峰值")[1].split()[0])
    assert peak < 700, done.stdout


def test_a_file_over_the_size_limit_is_not_read_and_is_tried_again_once_the_limit_is_raised(tmp_path, monkeypatch):
    db = db_of(tmp_path)
    (tmp_path / "in").mkdir()
    big = write_csv(tmp_path / "in" / "开封市报名.csv", [REG_HEADER, ["开封市", JUNE_8, "小学", 12]])
    padding = "\n" * (1 << 20)  # blank lines: a file of just over 1 MiB with one data row
    big.write_text(big.read_text(encoding="utf-8") + padding, encoding="utf-8")
    monkeypatch.setenv("JSZG_MAX_FILE_MB", "1")

    refused = load_files([big], db).files[0]

    assert refused.status == "rejected" and "超过上限 1 MB" in refused.errors[0].message
    assert "JSZG_MAX_FILE_MB" in refused.errors[0].message
    assert not db.exists()  # nothing published, nothing written
    monkeypatch.setenv("JSZG_MAX_FILE_MB", "2")
    assert load_files([big], db).files[0].status == "loaded"
