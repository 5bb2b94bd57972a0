"""Converts the AdaFocusV2 / AR-Net split files to mmaction2 RawframeDataset list files.

The official AdaFocusV2 code (after AR-Net) reads

- ActivityNet / FCVID: comma-separated ``path,num_frames,label[,label2[,label3]]``;
- Mini-Kinetics: space-separated ``path num_frames label``, where ``path`` may hold spaces.

mmaction2's RawframeDataset reads whitespace-separated ``frame_dir total_frames label
[label ...]`` (several labels with ``multi_class=True``), with ``frame_dir`` relative to
``data_prefix``. This writes that format; ``--strip`` removes a leading folder from the paths
(e.g. the authors' ``/data/frames/``) and paths with spaces get their spaces replaced by
``_``, with ``--link-root`` creating the matching symbolic links next to the frame folders.

Example::

    python projects/adafocus_v2/tools/data/activitynet/convert_adafocus_lists.py \
        actnet_train_split.txt \
        data/activitynet/activitynet_train_list_rawframes.txt --strip frames/
"""
from __future__ import annotations

import argparse
import os
import os.path as osp


def parse_line(line: str) -> tuple[str, int, list[int]]:
    """Parses one line of either official format into (path, num_frames, labels)."""
    line = line.strip()
    if ',' in line:
        path, frames, *labels = line.split(',')
    else:
        path, frames, label = line.rsplit(' ', 2)
        labels = [label]
    try:
        return path.strip(), int(frames), [int(label) for label in labels if label.strip()]
    except ValueError as error:
        raise ValueError(f'Cannot parse split line {line!r}: {error}') from None


def convert(src: str, dst: str, strip: str = '', link_root: str | None = None) -> int:
    """Converts ``src`` to ``dst``; returns the number of videos."""
    lines = []
    with open(src) as f:
        for raw in f:
            if not raw.strip():
                continue
            path, frames, labels = parse_line(raw)
            if strip and path.startswith(strip):
                path = path[len(strip):]
            clean = path.replace(' ', '_')
            if clean != path and link_root is not None:
                link = osp.join(link_root, clean)
                if not osp.lexists(link):
                    os.makedirs(osp.dirname(link), exist_ok=True)
                    os.symlink(osp.abspath(osp.join(link_root, path)), link)
            lines.append(' '.join([clean, str(frames), *map(str, labels)]))
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    with open(dst, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return len(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='official split file')
    parser.add_argument('dst', help='mmaction2 rawframe list file to write')
    parser.add_argument('--strip', default='', help='leading path part to remove')
    parser.add_argument('--link-root', help='frame root in which to link space-free names')
    args = parser.parse_args(argv)
    print(f'{convert(args.src, args.dst, args.strip, args.link_root)} videos -> {args.dst}')


if __name__ == '__main__':
    main()
