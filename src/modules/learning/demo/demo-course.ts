/** The shape of a demo course (kk and ru) and small helpers that keep the content files readable. */
import type { CourseInput, LessonInput } from '../courses.validation'
import type { QuizInput } from '../quizzes.service'

/** A demo lesson; a quiz lesson may bring its questions. */
export type DemoLesson = LessonInput & { quiz?: QuizInput }

export interface DemoModule {
  titles: { kk: string; ru: string }
  lessons: DemoLesson[]
}

export interface DemoCourse {
  course: CourseInput
  /** Fictional instructors named on the course page. */
  instructors: string[]
  modules: DemoModule[]
}

type Text = [title: string, markdown: string]

/** A required text lesson in Kazakh and Russian. */
export function textLesson(minutes: number, kk: Text, ru: Text): LessonInput {
  return {
    kind: 'text',
    durationMinutes: minutes,
    texts: { kk: { title: kk[0], bodyMarkdown: kk[1].trim() }, ru: { title: ru[0], bodyMarkdown: ru[1].trim() } },
  }
}

/** A quiz lesson whose questions arrive with the quiz slice; its body says so. */
export function quizPlaceholder(minutes: number, kk: Text, ru: Text): LessonInput {
  return { ...textLesson(minutes, kk, ru), kind: 'quiz' }
}

/** A quiz lesson with its questions. */
export function quizLesson(minutes: number, kk: Text, ru: Text, quiz: QuizInput): DemoLesson {
  return { ...textLesson(minutes, kk, ru), kind: 'quiz', quiz }
}
